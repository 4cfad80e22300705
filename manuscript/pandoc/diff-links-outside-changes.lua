-- ./paper diff's DOCX (gigpaper.revision_diff), after citeproc.
-- Word allows a tracked change inside a hyperlink, not a hyperlink inside a tracked change (ECMA-376: w:ins and
-- w:del hold runs), and Pandoc's DOCX writer puts the link of a citation an insertion holds inside its w:ins, which
-- LibreOffice drops and Word must repair (jgm/pandoc#4609, open). After citeproc, each such link is turned inside
-- out, as LibreOffice writes a change to a link itself.
local function tracked(el)
  return el.classes:includes("insertion") or el.classes:includes("deletion")
end

function Span(el)
  if not tracked(el) then return nil end
  local out, run = {}, {}
  local function flush()
    if #run > 0 then table.insert(out, pandoc.Span(run, el.attr)); run = {} end
  end
  local function add(items)
    for _, item in ipairs(items) do
      if item.t == "Cite" then
        add(item.content)
      elseif item.t == "Link" then
        flush()
        table.insert(out, pandoc.Link({pandoc.Span(item.content, el.attr)}, item.target, item.title, item.attr))
      else
        table.insert(run, item)
      end
    end
  end
  add(el.content)
  flush()
  return out
end
