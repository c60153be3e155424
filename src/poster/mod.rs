//! Share posters (issue 17): templates laid out once, in the core, into the
//! same picture on every host.
//!
//! This part: [`grapheme`] (extended grapheme clusters, a compact subset of
//! UAX #29) and [`text`] (the advance-width table of the server's font and
//! deterministic, integer line wrapping).

pub(crate) mod grapheme;
pub(crate) mod text;
