//! The spatial viewer's pure side: what the viewer shows, computed from a
//! dataset and the viewer's settings with no browser types, so it compiles
//! and is tested natively. `src/app/viewer` holds the signals and the DOM and
//! calls into this module for everything it draws or writes: colours, the
//! legend entries (one list for the side panel, the PNG and the SVG), small
//! multiples, niche regions, the rasterized picture, the SVG document, the
//! scale bar, the hover and selection tables, and the selection CSV.

pub mod colors;
pub mod csv;
pub mod facets;
pub mod format;
pub mod genes;
pub mod labels;
pub mod legend;
pub mod model;
pub mod niches;
pub mod render;
pub mod svg;
pub mod true_scale;

#[cfg(test)]
pub(crate) mod fixture;
