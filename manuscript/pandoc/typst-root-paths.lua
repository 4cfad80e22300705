-- Typst resolves a relative path from the .typ file; a leading "/" resolves it from the
-- project root, where figures/ lives.
function Image(image)
  if not image.src:match("^/") and not image.src:match("^%a+:") then
    image.src = "/" .. image.src
  end
  return image
end
