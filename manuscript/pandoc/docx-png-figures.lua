-- Word shows PNG everywhere; SVG only in recent versions. The figures exist in both.
function Image(image)
  image.src = image.src:gsub("%.svg$", ".png")
  return image
end
