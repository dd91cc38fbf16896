import type { AuthOptions, FieldConfig } from "./collection-types.ts";
import { randomString } from "../../tools/security.ts";

/**
 * The default email templates of a new auth collection. PocketBase's placeholders
 * ({APP_NAME}, {APP_URL}, {TOKEN}, {OTP}, {ALERT_INFO}, {RECORD:field}) with texts of our own.
 */
export const DEFAULT_TEMPLATES = {
  verification: {
    subject: "Verify your {APP_NAME} email",
    body:
      "<p>Hi,</p>\n<p>Welcome to {APP_NAME}! Please confirm that this is your email address.</p>\n" +
      '<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-verification/{TOKEN}" target="_blank" rel="noopener">Confirm my email</a>\n</p>\n' +
      "<p>\n  Cheers,<br/>\n  The {APP_NAME} team\n</p>",
  },
  resetPassword: {
    subject: "Reset your {APP_NAME} password",
    body:
      "<p>Hi,</p>\n<p>Someone asked to reset the password of your {APP_NAME} account. Use the button below to choose a new one.</p>\n" +
      '<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}" target="_blank" rel="noopener">Choose a new password</a>\n</p>\n' +
      "<p><i>If that wasn't you, ignore this message and your password stays as it is.</i></p>\n" +
      "<p>\n  Cheers,<br/>\n  The {APP_NAME} team\n</p>",
  },
  confirmEmailChange: {
    subject: "Confirm your new {APP_NAME} email address",
    body:
      "<p>Hi,</p>\n<p>Please confirm the new email address of your {APP_NAME} account.</p>\n" +
      '<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}" target="_blank" rel="noopener">Confirm the new address</a>\n</p>\n' +
      "<p><i>If you didn't ask for this change, ignore this message.</i></p>\n" +
      "<p>\n  Cheers,<br/>\n  The {APP_NAME} team\n</p>",
  },
  otp: {
    subject: "Your {APP_NAME} sign-in code",
    body:
      "<p>Hi,</p>\n<p>Your one-time sign-in code is: <strong>{OTP}</strong></p>\n" +
      "<p><i>If you didn't ask for a code, ignore this message.</i></p>\n" +
      "<p>\n  Cheers,<br/>\n  The {APP_NAME} team\n</p>",
  },
  authAlert: {
    subject: "New sign-in to your {APP_NAME} account",
    body:
      "<p>Hi,</p>\n<p>Your {APP_NAME} account was just used to sign in from a new location:</p>\n<p><em>{ALERT_INFO}</em></p>\n" +
      "<p><strong>If this wasn't you, change your {APP_NAME} password now: that signs out every other device.</strong></p>\n" +
      "<p>If it was you, there is nothing to do.</p>\n" +
      "<p>\n  Cheers,<br/>\n  The {APP_NAME} team\n</p>",
  },
} as const;

/** A new random token secret (50 characters, as PocketBase generates them). */
export function newTokenSecret(): string {
  return randomString(50);
}

/** The option defaults of a new auth collection (fresh secrets each call). */
export function defaultAuthOptions(): AuthOptions {
  return {
    authRule: "",
    manageRule: null,
    authAlert: { enabled: true, emailTemplate: { ...DEFAULT_TEMPLATES.authAlert } },
    oauth2: { enabled: false, providers: [], mappedFields: { id: "", name: "", username: "", avatarURL: "" } },
    passwordAuth: { enabled: true, identityFields: ["email"] },
    mfa: { enabled: false, duration: 600, rule: "" },
    otp: { enabled: false, duration: 180, length: 8, emailTemplate: { ...DEFAULT_TEMPLATES.otp } },
    authToken: { secret: newTokenSecret(), duration: 432000 },
    passwordResetToken: { secret: newTokenSecret(), duration: 1800 },
    emailChangeToken: { secret: newTokenSecret(), duration: 1800 },
    verificationToken: { secret: newTokenSecret(), duration: 86400 },
    fileToken: { secret: newTokenSecret(), duration: 180 },
    verificationTemplate: { ...DEFAULT_TEMPLATES.verification },
    resetPasswordTemplate: { ...DEFAULT_TEMPLATES.resetPassword },
    confirmEmailChangeTemplate: { ...DEFAULT_TEMPLATES.confirmEmailChange },
  };
}

/** The keys of `AuthOptions`, in PocketBase's JSON order. */
export const AUTH_OPTION_KEYS: readonly (keyof AuthOptions)[] = [
  "authRule", "manageRule", "authAlert", "oauth2", "passwordAuth", "mfa", "otp",
  "authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken",
  "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate",
];

/** The token config keys (their secrets are never serialised). */
export const TOKEN_KEYS = ["authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken"] as const;

/** The `id` primary-key field every collection has (PocketBase's exact definition). */
export function idField(): FieldConfig {
  return {
    autogeneratePattern: "[a-z0-9]{15}", hidden: false, id: "text3208210256", max: 15, min: 15, name: "id",
    pattern: "^[a-z0-9]+$", presentable: false, primaryKey: true, required: true, system: true, type: "text",
  };
}

/** The system fields of an auth collection after `id` (PocketBase's exact definitions). */
export function authSystemFields(): FieldConfig[] {
  return [
    { cost: 0, hidden: true, id: "password901924565", max: 0, min: 8, name: "password", pattern: "", presentable: false, required: true, system: true, type: "password" },
    { autogeneratePattern: "[a-zA-Z0-9]{50}", hidden: true, id: "text2504183744", max: 60, min: 30, name: "tokenKey", pattern: "", presentable: false, primaryKey: false, required: true, system: true, type: "text" },
    { exceptDomains: null, hidden: false, id: "email3885137012", name: "email", onlyDomains: null, presentable: false, required: true, system: true, type: "email" },
    { hidden: false, id: "bool1547992806", name: "emailVisibility", presentable: false, required: false, system: true, type: "bool" },
    { hidden: false, id: "bool256245529", name: "verified", presentable: false, required: false, system: true, type: "bool" },
  ];
}

/** `created` (onCreate) and `updated` (onCreate+onUpdate) autodate fields. */
export function autodateFields(system = false): FieldConfig[] {
  return [
    { hidden: false, id: "autodate2990389176", name: "created", onCreate: true, onUpdate: false, presentable: false, system, type: "autodate" },
    { hidden: false, id: "autodate3332085495", name: "updated", onCreate: true, onUpdate: true, presentable: false, system, type: "autodate" },
  ];
}
