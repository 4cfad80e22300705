-- What a journal's deposit needs of the JATS body that Pandoc's writer does not give on its own
-- (checked against the JATS Publishing DTD by tests/test_jats.py):
--   * every cross-reference typed: a link to a table is <xref ref-type="table">, to a figure "fig";
--   * a table-wrap and a fig carry the id and the label ("Кесте 1"), the caption only the title;
--   * a source note is the table's <table-wrap-foot> or the figure's <attrib>, not a loose box;
--   * a graphic names its file as it lies in the deposit package: beside the XML, no folder.
-- Runs after citeproc (common.yaml), so a note's citation is already a link to the reference.

local WRITER_OPTIONS = {wrap_text = "none"}

local function jats(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), "jats_publishing", WRITER_OPTIONS)
end

local function escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- "Кесте 1. Title", "Сурет 1 – Title", "Figure 1. Title" -> "Кесте 1", "Title".
local function split_caption(caption)
  local text = pandoc.utils.stringify(caption)
  local _, label_end = text:find("^%S+ %d+")
  if not label_end then
    error("jats-deposit.lua: a caption without its label and number: " .. text)
  end
  local title = text:sub(label_end + 1):gsub("^%s*[%.:]%s*", ""):gsub("^%s*–%s*", ""):gsub("^%s*—%s*", "")
  return text:sub(1, label_end), title
end

local function is_source_note(block)
  return block and block.t == "Div" and block.classes:includes("source-note")
end

local function note_inlines(note)
  local inlines = pandoc.Inlines({})
  for _, block in ipairs(note.content) do
    if #inlines > 0 then
      inlines:insert(pandoc.Space())
    end
    inlines:extend(block.content)
  end
  return inlines
end

-- A note's text as inline JATS (a citation in it is already an <xref>).
local function note_xml(note)
  return (jats({pandoc.Plain(note_inlines(note))}):gsub("^%s*<p>", ""):gsub("</p>%s*$", ""))
end

-- A table-wrap or a fig with its id and label, and its source note where JATS puts it: a table's in
-- table-wrap-foot, a figure's in attrib.
local function labelled(block, tag, note)
  local id = block.identifier
  local label, title = split_caption(block.caption.long)
  block.identifier = ""
  block.caption.long = {pandoc.Plain(pandoc.Inlines(title))}
  local pattern = (tag:gsub("%-", "%%-"))
  local xml = jats({block})
  xml = xml:gsub("^%s*<" .. pattern .. "[^>]*>", "<" .. tag .. ' id="' .. id .. '">\n<label>' .. escape(label) .. "</label>", 1)
  if note then
    local placed = tag == "fig" and ("<attrib>" .. note_xml(note) .. "</attrib>\n")
      or ("<table-wrap-foot>\n<p>" .. note_xml(note) .. "</p>\n</table-wrap-foot>\n")
    xml = xml:gsub("</" .. pattern .. ">%s*$", placed .. "</" .. tag .. ">", 1)
  end
  return pandoc.RawBlock("jats", xml)
end

local function table_wrap(tbl, note)
  return labelled(tbl, "table-wrap", note)
end

local function fig(figure, note)
  figure = figure:walk({
    Image = function(image)
      image.src = image.src:match("([^/]+)$")
      return image
    end,
  })
  return labelled(figure, "fig", note)
end

local function typed_link(link)
  local target = link.target
  if target:match("^#tbl%-") then
    link.attributes["ref-type"] = "table"
  elseif target:match("^#fig%-") then
    link.attributes["ref-type"] = "fig"
  end
  return link
end

function Pandoc(doc)
  doc = doc:walk({Link = typed_link})
  local blocks, i = pandoc.Blocks({}), 1
  while i <= #doc.blocks do
    local block, following = doc.blocks[i], doc.blocks[i + 1]
    local note = is_source_note(following) and following or nil
    if block.t == "Table" then
      blocks:insert(table_wrap(block, note))
    elseif block.t == "Figure" then
      blocks:insert(fig(block, note))
    else
      blocks:insert(block)
      note = nil
    end
    i = i + (note and 2 or 1)
  end
  doc.blocks = blocks
  -- The writer lists the works cited in the blocks it sees; those cited only inside a table or a
  -- note (now raw JATS) would drop out. Every work of the bibliography is cited (the input check).
  doc.meta.nocite = pandoc.MetaInlines({pandoc.Cite({pandoc.Str("@*")}, {pandoc.Citation("*", "NormalCitation")})})
  return doc
end
