-- Word finds captions by their SEQ fields (cross-references, a list of figures or tables): the
-- number after "Сурет" / "Кесте" / "Figure" / "Table" becomes a SEQ field named by that word,
-- showing the same number, so the caption reads as before.

local function seq_field(name, number)
  return pandoc.RawInline("openxml",
    '<w:fldSimple w:instr=" SEQ ' .. name .. ' \\* ARABIC "><w:r><w:t>' .. number .. "</w:t></w:r></w:fldSimple>")
end

local function number_caption(caption)
  local first = caption.long[1]
  if not first or not first.content then
    return caption
  end
  local inlines = first.content
  local name, space, number = inlines[1], inlines[2], inlines[3]
  if name and name.t == "Str" and space and space.t == "Space" and number and number.t == "Str" then
    local digits, rest = number.text:match("^(%d+)(.*)$")
    if digits then
      local replaced = pandoc.Inlines({name, space, seq_field(name.text, digits)})
      if rest ~= "" then
        replaced:insert(pandoc.Str(rest))
      end
      for i = 4, #inlines do
        replaced:insert(inlines[i])
      end
      first.content = replaced
    end
  end
  return caption
end

function Figure(figure)
  figure.caption = number_caption(figure.caption)
  return figure
end

function Table(tbl)
  tbl.caption = number_caption(tbl.caption)
  return tbl
end
