//! Regrade discovery (filled in below).
