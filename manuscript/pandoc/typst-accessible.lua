-- What Pandoc's Typst writer leaves out of the tagged PDF: a figure's alt text, and the language
-- of an abstract written in another language than the edition's. And the author lines under the
-- title, which the writer would set as body text; and the authors' names, the keywords and the
-- description, which the template writes into Typst strings (the PDF's metadata), escaped for one.

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- A metadata value as the text of a Typst string (the template writes the quotes), a non-breaking
-- space ("No. 2") a space.
local function string_text(value)
  local text = pandoc.utils.stringify(value):gsub("\u{a0}", " ")
  return pandoc.RawInline("typst", typst_string(text):sub(2, -2))
end

function Meta(meta)
  for _, person in ipairs(meta.contributors or {}) do
    person.name = string_text(person.name)
  end
  for index, keyword in ipairs(meta.keywords or {}) do
    meta.keywords[index] = string_text(keyword)
  end
  meta.description = meta.description and string_text(meta.description)
  return meta
end

-- Runs after typst-root-paths.lua, so the path is already rooted.
function Image(image)
  local args = typst_string(image.src)
  if image.attributes.width then
    args = args .. ", width: " .. image.attributes.width
  end
  local alt = image.attributes.alt or pandoc.utils.stringify(image.caption)
  args = args .. ", alt: " .. typst_string(alt)
  return pandoc.RawInline("typst", "#image(" .. args .. ")")
end

function Div(div)
  if div.classes:includes("authors") then
    return {
      pandoc.RawBlock("typst", "#align(center)[#set text(size: 9pt)"),
      div,
      pandoc.RawBlock("typst", "]"),
    }
  end
end

-- A level-1 heading with a lang attribute opens a block in that language, up to the next level-1
-- heading: Typst then tags the heading and its paragraphs with that language.
-- Two abstracts may share a heading word ("Аннотация" in Kazakh and in Russian): the heading, and
-- so the PDF's bookmark, then says whose language it is, as the HTML contents list does.
local function name_shared_abstract_headings(blocks)
  local count = {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" and block.classes:includes("abstract") then
      local text = pandoc.utils.stringify(block.content)
      count[text] = (count[text] or 0) + 1
    end
  end
  for _, block in ipairs(blocks) do
    local name = block.t == "Header" and block.attributes["language-name"]
    if name and block.classes:includes("abstract") and count[pandoc.utils.stringify(block.content)] > 1 then
      block.content:extend({pandoc.Space(), pandoc.Str("(" .. name .. ")")})
    end
  end
end

function Pandoc(doc)
  name_shared_abstract_headings(doc.blocks)
  local blocks, open = pandoc.Blocks({}), false
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level == 1 then
      if open then
        blocks:insert(pandoc.RawBlock("typst", "]"))
        open = false
      end
      local lang = block.attributes.lang
      if lang then
        -- Typst takes the ISO 639 language alone, without a script ("kk-Latn" is "kk").
        blocks:insert(pandoc.RawBlock("typst", "#[#set text(lang: " .. typst_string(lang:match("^[^-]+")) .. ")"))
        open = true
      end
    end
    blocks:insert(block)
  end
  if open then
    blocks:insert(pandoc.RawBlock("typst", "]"))
  end
  doc.blocks = blocks
  return doc
end
