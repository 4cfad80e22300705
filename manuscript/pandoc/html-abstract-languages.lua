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
