//! The point rasterizer and colour maps: draws units into an RGBA buffer with
//! no knowledge of the browser. The UI keeps a [`Canvas`], a [`View`] and a
//! [`Lod`] (level-of-detail tiles for drawing and selecting) per dataset, calls
//! [`draw_points`] or [`Lod::draw`] on every change and puts [`Canvas::rgba`] on
//! the page in one `ImageData`.

// The one unsafe block (Canvas::rgba, a zero-copy byte view of the pixels)
// is allowed where it stands; any other is an error.
#![deny(unsafe_code)]

pub mod color;
pub mod fill;
pub mod hull;
pub mod lod;
pub mod raster;
pub mod select;
pub mod view;

pub use color::{categorical_palette, palette_for, ColorMap, Rgba};
pub use fill::{draw_regions, RegionPaint};
pub use hull::{convex_hull, niche_regions, Region, RegionParams};
pub use lod::{Drawn, Lod, LodBuilder};
pub use raster::{
    color_of, draw_points, draw_rows, draw_sample, Canvas, ColorBy, Outline, PointSize, Style,
};
pub use select::{nearest, select_box, select_lasso};
pub use view::View;
