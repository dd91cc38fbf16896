/**
 * The JSON shapes of collections and fields, exactly as PocketBase v0.23+ speaks them on the
 * wire, in migrations and in `_collections` (auth/view options flattened onto the collection).
 */

/** A field definition: the common keys plus its type-specific options, flat. */
export interface FieldConfig {
  id: string;
  name: string;
  type: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  /** Not present on `autodate`. */
  required?: boolean;
  /** Not present on `autodate` (PocketBase v0.37+). */
  help?: string;
  [option: string]: unknown;
}

/** A `{subject, body}` email template. */
export interface EmailTemplate {
  subject: string;
  body: string;
}

/** A token configuration (`authToken`, `fileToken`, …). */
export interface TokenConfig {
  secret: string;
  duration: number;
}

/** An OAuth2 provider configuration inside an auth collection. */
export interface OAuth2ProviderConfig {
  name: string;
  clientId: string;
  clientSecret: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  displayName: string;
  pkce: boolean | null;
  extra: Record<string, unknown> | null;
}

/** The options of an auth collection (flattened onto the collection JSON). */
export interface AuthOptions {
  authRule: string | null;
  manageRule: string | null;
  authAlert: { enabled: boolean; emailTemplate: EmailTemplate };
  oauth2: {
    enabled: boolean;
    providers: OAuth2ProviderConfig[];
    mappedFields: { id: string; name: string; username: string; avatarURL: string };
  };
  passwordAuth: { enabled: boolean; identityFields: string[] };
  mfa: { enabled: boolean; duration: number; rule: string };
  otp: { enabled: boolean; duration: number; length: number; emailTemplate: EmailTemplate };
  authToken: TokenConfig;
  passwordResetToken: TokenConfig;
  emailChangeToken: TokenConfig;
  verificationToken: TokenConfig;
  fileToken: TokenConfig;
  verificationTemplate: EmailTemplate;
  resetPasswordTemplate: EmailTemplate;
  confirmEmailChangeTemplate: EmailTemplate;
}

/** The collection types. */
export type CollectionType = "base" | "auth" | "view";

/** The five CRUD rules every collection has. `null` = superusers only, `""` = anyone. */
export interface CollectionRules {
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
}

/** A full collection as stored and served (auth/view keys only on those types). */
export interface CollectionConfig extends CollectionRules, Partial<AuthOptions> {
  id: string;
  name: string;
  type: CollectionType;
  system: boolean;
  fields: FieldConfig[];
  indexes: string[];
  created: string;
  updated: string;
  /** View collections only. */
  viewQuery?: string;
}
