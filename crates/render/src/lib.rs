//! The point rasterizer and colour maps: draws units into an RGBA buffer with
//! no knowledge of the browser.
