/**
 * report.html's style sheet, for the screen and for print (the same page is printed to report.pdf).
 *
 * Screen: charts keep their drawn size and scroll sideways in a focusable box when the window is
 * narrower (text stays legible); a figure without that box (the map, the trend) shrinks to the
 * window instead. Tables fold away in <details>.
 *
 * Print: charts shrink to the page's width, every table is printed (a closed <details> prints
 * nothing of its content unless its ::details-content is made visible), tables are set smaller and
 * very wide ones to the page's width, headings stay with what follows, and rows are not split.
 * Withheld cells are plain grey: the striped background they have on screen made Chromium's PDF 25
 * times larger and slower.
 *
 * Colours of text and focus rings keep at least 4.5:1 against their background (WCAG 2.1 AA).
 */
export const PAGE_STYLE = `
:root{color-scheme:light}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem 2rem;color:#222;background:#fff;line-height:1.45}
.skip{position:absolute;left:-100vw;top:.5rem;background:#fff;padding:.4rem .6rem;border:2px solid #0b5cad}
.skip:focus{left:1rem}
header{margin-top:2rem}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}
a{color:#0b5cad}
a:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
nav ol{margin:.3rem 0;padding-left:1.4rem}nav>ol>li{margin:.2rem 0}nav ol ol{font-size:.9rem}
nav ol ol li{display:inline}nav ol ol li:not(:last-child)::after{content:" · "}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.suppressed{color:#555;font-style:italic;background:repeating-linear-gradient(45deg,#f4f4f4 0 4px,#e2e2e2 4px 8px)}
.flag{color:#b00}
.chart{margin:.5rem 0}.chart svg{display:block}
figure.chart>svg{max-width:100%;height:auto}
.scroll{overflow-x:auto}
details{margin-bottom:1rem}summary{cursor:pointer;color:#0b5cad}
.dictionary td:first-child{white-space:nowrap;font-family:ui-monospace,monospace}
.meta{color:#555;font-size:.85rem}
footer{margin-top:3rem;border-top:1px solid #ccc}
@page{size:letter;margin:14mm 12mm 16mm}
@media print{
body{max-width:none;padding:0;font-size:10pt}
.skip,summary{display:none}
td.suppressed{background:#eee}
table{font-size:8pt}th,td{padding:.1rem .3rem}
table:has(th:nth-child(8)){table-layout:fixed;width:100%;font-size:7pt}th{overflow-wrap:break-word}
.scroll{overflow:visible}
.chart svg{max-width:100%;height:auto}
details::details-content{content-visibility:visible;display:contents}
main>section{break-before:page}
h2,h3,figcaption{break-after:avoid}
figure,tr{break-inside:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
}
`;
