export { baseSubject, isReplyOrForward, parseSubject, subjectKey } from "./subject";
export type { SubjectInfo } from "./subject";
