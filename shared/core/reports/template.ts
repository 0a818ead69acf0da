/**
 * The report page's templates: Eta templates written inline as strings and compiled once when this
 * module loads, so no template file has to travel with the Lambda bundle. `<%= %>` escapes what it
 * prints (the default); `<%~ %>` prints unescaped and is only for markup this code made itself (a
 * chart's SVG, a rendered table). `<%_` and `_%>` drop the whitespace before or after a tag, so a
 * template can be laid out on several lines and still print one.
 */
import { Eta } from 'eta/core';

// autoTrim off: a template prints every line break it holds unless a tag's `_` says otherwise.
const eta = new Eta({ autoEscape: true, autoTrim: false });

/** Compiles a template once; the function it returns renders it with `it` bound to the data. */
export function template<T extends object>(source: string): (data: T) => string {
  const compiled = eta.compile(source);
  return (data) => eta.render(compiled, data);
}

/** Compiles a template that others include by name: `<%~ include('@name', data) %>`. */
export function partial(name: string, source: string): void {
  eta.loadTemplate(`@${name}`, source);
}

/** Escapes text for HTML element content and double-quoted attributes, as every `<%= %>` does. */
export function escapeHtml(text: string): string {
  return eta.config.escapeFunction(text);
}

// The head every page of the site shares (report.html, the site's index): the Content-Security-Policy
// lets a page load nothing and run nothing, only its own inline styles and data: images.
// Data: { title: string; style: string }.
partial(
  'page-head',
  `<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %></title>
<style><%~ it.style %></style>
</head>`,
);
