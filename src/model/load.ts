import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { parseModel, type SavedModel } from "./model.js";

/** Reads and validates a saved model file (Node); anything malformed is an InputError naming the field. */
export function loadModel(file: string): SavedModel {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(
      `${file}: cannot read the model file (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      { file },
    );
  }
  return parseModel(text, file);
}
