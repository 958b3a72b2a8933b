// Formulas to SVG at build time, for hooks/math.py: MathJax 3 (npm mathjax-full) in Node.
// Reads JSON lines {"fragments": [html, ...]} on stdin; for each, writes one JSON line
// {"fragments": [...], "cache": "<svg id=MJX-SVG-global-cache>…", "errors": [...], "css": "…"}.
// The fragments of one page are rendered together, so the glyphs they share are defined
// once, in the page's global font cache; each formula carries its MathML for screen readers.
"use strict";
const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const texOptions = {
  // without noerrors/noundefined, a TeX error renders as <merror>, which the build refuses
  packages: AllPackages.filter((name) => !["bussproofs", "noerrors", "noundefined"].includes(name)),
  inlineMath: [["\\(", "\\)"], ["$", "$"]],
  displayMath: [["\\[", "\\]"], ["$$", "$$"]],
  processEscapes: true,
  processEnvironments: true,
};

function render(fragments) {
  const body = fragments.map((f, i) => `<div data-fragment="${i}">${f}</div>`).join("");
  const svg = new SVG({ fontCache: "global" });
  const doc = mathjax.document(`<!DOCTYPE html><html><head></head><body>${body}</body></html>`, {
    InputJax: new TeX(texOptions), OutputJax: svg,
  });
  doc.render();
  const errors = [];
  for (const item of doc.math) {
    item.root.walkTree((node) => {
      if (node.isKind("merror")) errors.push(`${item.math}: ${node.attributes.get("data-mjx-error") || "error"}`);
    });
  }
  const out = [];
  for (const node of adaptor.tags(adaptor.body(doc.document), "div")) {
    const index = adaptor.getAttribute(node, "data-fragment");
    if (index !== null && index !== undefined) out[Number(index)] = adaptor.innerHTML(node);
  }
  const cacheNode = adaptor.childNodes(adaptor.body(doc.document))
    .find((n) => adaptor.kind(n) === "svg" && adaptor.getAttribute(n, "id") === "MJX-SVG-global-cache");
  const cache = cacheNode ? adaptor.outerHTML(cacheNode) : "";
  const css = adaptor.textContent(svg.styleSheet(doc));
  return { fragments: out, cache, errors, css };
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  process.stdout.write(JSON.stringify(render(request.fragments)) + "\n");
});
