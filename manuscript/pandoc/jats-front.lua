-- JATS keeps the abstracts in the front matter, each with its language: move them out of the body
-- (the one in the edition's language is its <abstract>, the others <trans-abstract>, in the
-- edition's order); their keywords come
-- from the metadata (abstract-keywords), and the author lines from the metadata (authors).

local function is_keywords(block)
  return block.t == "Para" and #block.content == 1 and block.content[1].t == "Span"
    and block.content[1].classes:includes("keywords")
end

function Pandoc(doc)
  local body, abstracts, current = pandoc.Blocks({}), {}, nil
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level == 1 then
      current = nil
      if block.classes:includes("abstract") then
        current = {lang = pandoc.MetaString(block.attributes.lang), title = block.content, body = pandoc.Blocks({})}
        table.insert(abstracts, current)
      end
    end
    if current then
      if block.t ~= "Header" and not is_keywords(block) then
        current.body:insert(block)
      end
    elseif not (block.t == "Div" and block.classes:includes("authors")) then
      body:insert(block)
    end
  end
  if #abstracts > 0 then
    local own = 1
    for index, abstract in ipairs(abstracts) do
      if pandoc.utils.stringify(abstract.lang) == pandoc.utils.stringify(doc.meta.lang) then
        own = index
      end
    end
    local first = table.remove(abstracts, own)
    doc.meta["abstract"] = pandoc.MetaBlocks(first.body)
    doc.meta["abstract-lang"] = first.lang
    doc.meta["abstract-title"] = pandoc.MetaInlines(first.title)
    local others = {}
    for _, other in ipairs(abstracts) do
      table.insert(others, pandoc.MetaMap({
        lang = other.lang, title = pandoc.MetaInlines(other.title), body = pandoc.MetaBlocks(other.body),
      }))
    end
    doc.meta["trans-abstracts"] = pandoc.MetaList(others)
  end
  doc.blocks = body
  return doc
end
