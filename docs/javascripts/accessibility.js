// Names and roles that Material's own markup lacks (tests/test_site/test_accessibility.py runs
// axe on every page). Material builds code-block toolbars and annotation markers in the
// browser, so this watches the page and labels them as they appear.
(() => {
  const annotation = document.querySelector('meta[name="glossary:annotation"]')?.content;

  const label = () => {
    // The search dialog is named like the search field inside it (Material's own translation).
    const search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    const field = document.querySelector(".md-search__input");
    if (search && field) search.setAttribute("aria-label", field.getAttribute("aria-label"));
    // A code block's copy button sits in a <nav>: one unnamed landmark per block, all alike.
    // It is a button, not navigation.
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
      nav.setAttribute("role", "none");
    }
    // Annotation markers are links showing only an icon: name them "Annotation 1", ...
    for (const marker of document.querySelectorAll(".md-annotation__index:not([aria-label])")) {
      const number = marker.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
      if (annotation && number) marker.setAttribute("aria-label", `${annotation} ${number}`);
    }
  };

  label();
  new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
})();
