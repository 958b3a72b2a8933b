// The language menu leads to the same page in another language. Heading ids are the same in
// every language (tests/test_site/test_translations.py), so the reader keeps their place:
// the section's anchor goes along. Capture phase: the link is updated before it is followed.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest(".md-select__link[hreflang]");
  if (link && location.hash) {
    link.href = link.href.split("#")[0] + location.hash;
  }
}, true);
