import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseModel, predictModel } from "../../src/index.js";

const model = {
  format: "regularize-model",
  version: 1,
  createdBy: "test",
  family: "gamma",
  link: "log",
  penalty: "lasso",
  alpha: 1,
  lambda: 0.1,
  select: "min",
  target: "cost",
  features: ["a", "b"],
  encodings: [],
  intercept: 0.5,
  coefficients: [0.2, -0.1],
  standardization: { mean: [0, 0], sd: [1, 1] },
  options: {},
};

describe("parseModel / predictModel: saved models without the file system (the browser's way)", () => {
  it("from JSON text or an object: the same model; predictions are the mean e^η", () => {
    const a = parseModel(JSON.stringify(model));
    const b = parseModel(model);
    assert.deepEqual(a, b);
    const r = predictModel(a, Float64Array.of(1, 2, 3, 4), 2);
    assert.ok(Math.abs(r.eta[0][0] - (0.5 + 0.2 * 1 - 0.1 * 3)) <= 1e-15);
    assert.ok(Math.abs(r.response[0][1] - Math.exp(0.5 + 0.2 * 2 - 0.1 * 4)) <= 1e-15);
  });
  it("malformed text or fields: one message naming where", () => {
    assert.throws(
      () => parseModel('{\n "format": x }', "m.json"),
      /m\.json: not a JSON file \(a syntax error/,
    );
    assert.throws(
      () => parseModel({ ...model, link: "probit" }),
      /field 'link' is not valid \(gamma takes inverse, identity, log; got 'probit'\)/,
    );
    assert.throws(
      () => parseModel({ ...model, coefficients: [1] }),
      /field 'coefficients' has 1 values, expected 2/,
    );
  });
});
