"""Scripts that measure what a reader sees in the browser: words broken inside, headings, text
columns. Each is a function of one argument run with `page.evaluate(script, argument)`."""

from __future__ import annotations

# Each word of the visible text under the elements `selector` finds whose letters stand on more
# than one line. A word is what lies between white space, hyphens, dashes, slashes and soft
# hyphens: the places a line may break. Text a screen reader alone gets (clipped) is skipped.
CONCEALED = r"""element => {
    for (let e = element; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clip !== 'auto'
          || s.clipPath !== 'none') return true;
    }
    return false;
  }"""

BROKEN_WORDS = (
    r"""selector => {
  const concealed = """
    + CONCEALED
    + r""";
  const found = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim() || concealed(node.parentElement)) continue;
      const word = /[^\s\-‐–—\/\u00ad]+/g;
      let m;
      while ((m = word.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.bottom)));
        if (lines.size > 1) found.push(`${m[0]} (in <${node.parentElement.localName}>)`);
      }
    }
  }
  return found;
}"""
)

# Every heading a sighted reader sees under `selector`, in order: its level, its text and the
# texts of the headings it stands under (its place in the outline).
HEADINGS = (
    r"""selector => {
  const concealed = """
    + CONCEALED
    + r""";
  const open = [];
  return [...document.querySelectorAll(`${selector} :is(h1, h2, h3, h4, h5, h6)`)]
    .filter(h => !concealed(h))
    .map(h => {
      const level = Number(h.localName[1]);
      const text = h.textContent.replace(/\s+/g, ' ').trim();
      open.length = level - 1;
      const path = open.filter(Boolean).join(' › ');
      open[level - 1] = text;
      return [level, text, path];
    });
}"""
)

# The paragraphs and list items of running text (at least `chars` characters) under `main`,
# with the width of the column they stand in, in ems of their own font size.
COLUMNS = r"""chars => [...document.querySelectorAll('main p, main li')]
  .filter(e => e.getClientRects().length && e.textContent.trim().length >= chars
    && !e.closest('table, .step-aside, .toc'))
  .map(e => [e.textContent.trim().slice(0, 40),
    e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)])"""
