-- ./paper diff's HTML (gigpaper.revision_diff): each insertion and deletion as <ins> and <del>.
function Span(el)
  for _, cls in ipairs({"insertion", "deletion"}) do
    if el.classes:includes(cls) then
      local tag = cls == "insertion" and "ins" or "del"
      local out = {pandoc.RawInline("html", "<" .. tag .. ">")}
      for _, item in ipairs(el.content) do table.insert(out, item) end
      table.insert(out, pandoc.RawInline("html", "</" .. tag .. ">"))
      return out
    end
  end
end
