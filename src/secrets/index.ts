export { resolveSecrets, secretBaseDir, isText, SecretStore, type SecretSource, type SecretProblem } from './resolve.js';
export { maskSecrets, maskLabel } from './mask.js';
export { writeAuthkey, AUTHKEY_BYTES } from './keygen.js';
export { readSecretFile, SecretFileError, SECRET_FILE_MAX, type SecretFile } from './file.js';
export { encodeSecret, secretForms } from './encode.js';
