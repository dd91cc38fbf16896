import type { FieldKind } from "./field-kind.ts";
import { autodateField } from "./autodate.ts";
import { boolField } from "./bool.ts";
import { dateField } from "./date.ts";
import { editorField } from "./editor.ts";
import { emailField } from "./email.ts";
import { fileField } from "./file.ts";
import { geoPointField } from "./geo-point.ts";
import { jsonField } from "./json.ts";
import { numberField } from "./number.ts";
import { passwordField } from "./password.ts";
import { relationField } from "./relation.ts";
import { selectField } from "./select.ts";
import { textField } from "./text.ts";
import { urlField } from "./url.ts";

/** The 14 PocketBase field kinds, keyed by their JSON type name. */
export const fieldKinds: Readonly<Record<string, FieldKind>> = Object.freeze({
  text: textField,
  number: numberField,
  bool: boolField,
  email: emailField,
  url: urlField,
  editor: editorField,
  date: dateField,
  autodate: autodateField,
  select: selectField,
  relation: relationField,
  file: fileField,
  json: jsonField,
  password: passwordField,
  geoPoint: geoPointField,
});

/** The kind for a type name (exact, case-sensitive: `geoPoint`), or undefined when unknown. */
export function getFieldKind(type: string): FieldKind | undefined {
  return Object.hasOwn(fieldKinds, type) ? fieldKinds[type] : undefined;
}
