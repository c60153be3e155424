// PLACEHOLDER: replaced by branch poster-text at merge
//
// The interface is the agreed one (/work/notes/poster-spec.md, "Layout");
// the behaviour is a stand-in so that the rest of the pipeline runs: ASCII
// 550/1000 em, anything else 1000, a break between any two characters,
// `\n` honoured, a cut last line ending in "…". The real table, grapheme
// clusters and line-breaking rules come with branch `poster-text`; the
// vectors that show wrapped text are blessed again then.

/// The advance of one grapheme cluster, in thousandths of an em.
pub(crate) fn advance(cluster: &str) -> u32 {
    match cluster.chars().next() {
        Some(c) if c.is_ascii() => 550,
        Some(_) => 1000,
        None => 0,
    }
}

/// The widest advance any cluster has (for TEXT_TOO_NARROW).
pub(crate) const MAX_ADVANCE: u32 = 1000;

/// One laid-out line.
pub(crate) struct Line {
    pub text: String,
    /// In 1/1000 px: Σ advance × size.
    pub width: u64,
}

/// A wrapped text.
pub(crate) struct Wrapped {
    pub lines: Vec<Line>,
    /// Whether text was left out (the last line then ends in "…").
    #[allow(dead_code)]
    pub cut: bool,
}

/// Wrap `text` into lines no wider than `max_width` px at font size `size`
/// px, at most `max_lines` lines; a cut last line ends in "…".
pub(crate) fn wrap(text: &str, size: u32, max_width: u32, max_lines: u32) -> Wrapped {
    let max = u64::from(max_width) * 1000;
    let size = u64::from(size);
    let mut lines: Vec<Line> = Vec::new();
    let mut cur = Line { text: String::new(), width: 0 };
    let mut cut = false;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c == '\n' {
            lines.push(std::mem::replace(&mut cur, Line { text: String::new(), width: 0 }));
            continue;
        }
        let s: &str = c.encode_utf8(&mut buf);
        let w = u64::from(advance(s)) * size;
        if cur.width + w > max && !cur.text.is_empty() {
            lines.push(std::mem::replace(&mut cur, Line { text: String::new(), width: 0 }));
        }
        cur.text.push(c);
        cur.width += w;
    }
    lines.push(cur);
    let max_lines = max_lines.max(1) as usize;
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        cut = true;
    }
    if cut {
        let ell = u64::from(advance("…")) * size;
        if let Some(last) = lines.last_mut() {
            while last.width + ell > max {
                match last.text.pop() {
                    Some(c) => last.width -= u64::from(advance(c.encode_utf8(&mut buf))) * size,
                    None => break,
                }
            }
            last.text.push('…');
            last.width += ell;
        }
    }
    Wrapped { lines, cut }
}
