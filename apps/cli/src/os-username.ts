import * as os from 'node:os';

/** The login name for default actors and subjects; containers may lack a passwd entry. */
export function osUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME ?? 'unknown';
  }
}
