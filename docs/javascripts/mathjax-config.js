// MathJax 3, served from this site (assets/mathjax/, copied from the npm package at build).
// startup.typeset=false + one typeset per page load (Material's document$) = exactly one render.
window.MathJax = {
  tex: {
    // \( \) and \[ \] come from pymdownx.arithmatex; $ $ from notebook markdown cells.
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: { ignoreHtmlClass: "tex2jax_ignore", processHtmlClass: "tex2jax_process" },
  startup: { typeset: false },
};

document$.subscribe(() => {
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise();
  });
});
