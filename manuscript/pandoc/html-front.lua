-- The front of the HTML page. Pandoc writes the title block, then the contents list, then the body.
-- The body is the page's main landmark; the head carries the citation_* tags that journal platforms
-- and Google Scholar read (only what the metadata holds: no volume, pages or authors it lacks).

local function attribute(text)
  return (text:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local function citation_tags(meta)
  local tags = {}
  local function add(name, value)
    if value and pandoc.utils.stringify(value) ~= "" then
      table.insert(tags, '<meta name="' .. name .. '" content="' .. attribute(pandoc.utils.stringify(value)) .. '">')
    end
  end
  add("citation_title", meta.title)
  for _, contributor in ipairs(meta.contributors or {}) do
    add("citation_author", contributor.name)
  end
  add("citation_journal_title", meta.journal)
  add("citation_publisher", meta.publisher)
  add("citation_issn", meta.issn)
  add("citation_issn", meta["issn-online"])
  add("citation_publication_date", meta.year)
  add("citation_issue", meta.issue)
  add("citation_doi", meta.doi)
  add("citation_language", meta.lang)
  add("citation_keywords", table.concat(pandoc.List(meta.keywords or {}):map(pandoc.utils.stringify), "; "))
  add("citation_pdf_url", meta.pdf)
  return pandoc.RawBlock("html", table.concat(tags, "\n"))
end

-- A figure is drawn for print: on a phone it keeps its size (its text readable) and scrolls sideways
-- inside its own box, which takes the keyboard focus so it can be scrolled without a pointer.
function Figure(figure)
  figure.content = {pandoc.Div(figure.content, {class = "figure-scroll", tabindex = "0"})}
  return figure
end

-- Attributes meant for the Typst writer (a source note's size and style) are not HTML.
function Div(div)
  for key, _ in pairs(div.attributes) do
    if key:match("^typst:") then
      div.attributes[key] = nil
    end
  end
  return div
end

-- The author lines (name, affiliation, ORCID, e-mail) belong in the title block, before the
-- contents list: they become the page's authors, while its <meta name="author"> keeps the names.
function Pandoc(doc)
  local blocks = pandoc.Blocks({})
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.classes:includes("authors") then
      local names, lines = {}, {}
      for _, contributor in ipairs(doc.meta.contributors or {}) do
        table.insert(names, pandoc.MetaString(pandoc.utils.stringify(contributor.name)))
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
  -- The body is the page's main landmark: <main> opens before the first section and closes after
  -- the last (include-after follows the body in Pandoc's template), so the sections and the
  -- contents list (built from the top-level headings) stay as they were.
  blocks:insert(1, pandoc.RawBlock("html", "<main>"))
  doc.meta["include-after"] = pandoc.MetaBlocks({pandoc.RawBlock("html", "</main>")})
  doc.blocks = blocks
  local includes = doc.meta["header-includes"] or pandoc.MetaList({})
  if includes.t ~= "MetaList" and type(includes) ~= "table" then
    includes = pandoc.MetaList({includes})
  end
  table.insert(includes, pandoc.MetaBlocks({citation_tags(doc.meta)}))
  doc.meta["header-includes"] = includes
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
