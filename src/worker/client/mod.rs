//! The page side of the data worker (wasm32): a [`Connection`] sends one request and
//! awaits its answer; a [`Session`] runs a page's requests in order with the step in
//! progress shown and pure answers kept; [`case`] is the case pages' use of a session.

pub mod case;
mod connection;
pub mod precomputed;
mod session;

pub(crate) use connection::js_text;
pub use connection::Connection;
pub use session::{Answer, Session};
