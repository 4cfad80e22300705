-- ./paper diff (gigpaper.revision_diff), after citeproc, which writes the reference list: the entry of a work that
-- only the new version cites (diff-inserted-references) as an insertion, and that of a work only the old one cited
-- (diff-deleted-references, listed through nocite) as a deletion, as the text's own changes are marked.
local kinds, attributes = {}, {}

local function read(meta)
  for field, kind in pairs({["diff-inserted-references"] = "insertion", ["diff-deleted-references"] = "deletion"}) do
    for _, key in ipairs(meta[field] or {}) do
      kinds["ref-" .. pandoc.utils.stringify(key)] = kind
    end
  end
  attributes = {author = pandoc.utils.stringify(meta["diff-author"] or ""),
                date = pandoc.utils.stringify(meta["diff-date"] or "")}
end

local function mark(div)
  local kind = kinds[div.identifier]
  if not kind then return nil end
  for _, block in ipairs(div.content) do
    if block.t == "Para" or block.t == "Plain" then
      block.content = {pandoc.Span(block.content, pandoc.Attr("", {kind}, attributes))}
    end
  end
  return div
end

return {{Meta = read}, {Div = mark}}
