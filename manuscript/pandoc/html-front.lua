-- The front of the HTML page. Pandoc writes the title block, then the contents list, then the body.

-- The author lines (name, affiliation, ORCID, e-mail) belong in the title block, before the
-- contents list: they become the page's authors, while its <meta name="author"> keeps the names.
function Pandoc(doc)
  local blocks = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.classes:includes("authors") then
      local names, lines = {}, {}
      for _, name in ipairs(doc.meta.author or {}) do
        table.insert(names, pandoc.MetaString(pandoc.utils.stringify(name)))
      end
      for _, line in ipairs(block.content) do
        table.insert(lines, pandoc.MetaInlines(line.content))
      end
      doc.meta["author-meta"] = pandoc.MetaList(names)
      doc.meta.author = pandoc.MetaList(lines)
    else
      blocks:insert(block)
    end
  end
  doc.blocks = blocks
  return doc
end

-- Two abstracts of an edition may share a heading word ("Аннотация" in Kazakh and Russian): the
-- contents list says whose language each is. The heading itself stays as published (the span is
-- shown only in the contents list, by article.css).
function Header(header)
  local name = header.attributes["language-name"]
  if header.classes:includes("abstract") and name then
    header.attributes["language-name"] = nil
    header.content:insert(pandoc.Space())
    header.content:insert(pandoc.Span({pandoc.Str("(" .. name .. ")")}, {class = "abstract-language"}))
  end
  return header
end
