-- Word breaks a word that does not fit its column ("Экономикалы|қ"). Pandoc sizes columns by the
-- dashes of the Markdown table; here each column gets at least its longest word, and the rest of
-- the width goes by the amount of text each column holds.
local TEXT_WIDTH_PT = 470 -- A4 less the side margins of the reference document (rule make_reference_docx)
local LETTER_PT = 7.5 -- a wide Cyrillic letter of 12 pt Times New Roman, bold as in the header row
local PADDING_LETTERS = 2 -- the cell's own margins

local function measure(rows, longest, total)
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      for word in text:gmatch("%S+") do
        longest[i] = math.max(longest[i] or 0, utf8.len(word) or #word)
      end
      total[i] = (total[i] or 0) + (utf8.len(text) or #text)
    end
  end
end

function Table(tbl)
  local n = #tbl.colspecs
  local longest, total = {}, {}
  measure(tbl.head.rows, longest, total)
  for _, body in ipairs(tbl.bodies) do
    measure(body.body, longest, total)
  end
  local minimum, sum_minimum, sum_total = {}, 0, 0
  for i = 1, n do
    minimum[i] = ((longest[i] or 0) + PADDING_LETTERS) * LETTER_PT / TEXT_WIDTH_PT
    sum_minimum = sum_minimum + minimum[i]
    sum_total = sum_total + (total[i] or 0)
  end
  local spare = math.max(0, 1 - sum_minimum)
  local scale = sum_minimum > 1 and 1 / sum_minimum or 1
  for i = 1, n do
    local share = sum_total > 0 and (total[i] or 0) / sum_total or 1 / n
    tbl.colspecs[i] = {tbl.colspecs[i][1], minimum[i] * scale + spare * share}
  end
  return tbl
end
