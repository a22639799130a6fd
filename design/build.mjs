// Compiles scss/sobc.scss (NHS.UK frontend + sobc's theme and rules) into sobc's shipped style
// sheet. Run with `npm run build` in this folder; nothing here runs when sobc builds a program.
import { writeFileSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "sobc", "render", "assets", "sobc.css");
const nhsuk = JSON.parse(readFileSync(join(here, "node_modules", "nhsuk-frontend", "package.json"), "utf8"));
const result = sass.compile(join(here, "scss", "sobc.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  silenceDeprecations: ["import"],
  quietDeps: true,
});
const licence = readFileSync(join(here, "LICENCE-nhsuk-frontend.txt"), "utf8").trim();
const header = `/*! sobc's style sheet, compiled from design/scss by design/build.mjs: do not edit by hand.
Built on NHS.UK frontend ${nhsuk.version} (https://github.com/nhsuk/nhsuk-frontend), used under its licence:

${licence}
*/
`;
writeFileSync(out, header + result.css + "\n");
console.log(`wrote ${out} (${(header.length + result.css.length) / 1000 | 0} kB)`);
