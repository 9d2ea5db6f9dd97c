export * from "./server";
export * from "./account";
export * from "./mailbox";
