/** The parts of a Gigya account object Ferry reads (accounts.getAccountInfo, search, IdentitySync). */
import type { JsonObject } from '@ferry/core';

/** Gigya's password object (`include=password`, search `SELECT *`, IdentitySync). */
export interface GigyaPassword {
  hash?: string;
  hashSettings?: { algorithm?: string; rounds?: number; salt?: string; format?: string };
  created?: string;
}

/** A Gigya account as the API and IdentitySync files return it. */
export interface GigyaAccount {
  UID?: string;
  isActive?: boolean;
  isRegistered?: boolean;
  isVerified?: boolean;
  created?: string;
  lastLogin?: string;
  loginProvider?: string;
  profile?: {
    email?: string;
    firstName?: string;
    lastName?: string;
    nickname?: string;
    photoURL?: string;
    thumbnailURL?: string;
    [key: string]: unknown;
  };
  data?: JsonObject;
  emails?: { verified?: string[]; unverified?: string[] };
  loginIDs?: { username?: string; emails?: string[]; unverifiedEmails?: string[] };
  password?: GigyaPassword;
  [key: string]: unknown;
}
