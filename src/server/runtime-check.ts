/*
 * Imported first by the entry points, before any module that needs Node.js 24 (ES modules are
 * evaluated in import order): a server started by a service manager with an older node stops
 * here with what to do, instead of failing inside a native module.
 */
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_MAJOR) {
  console.error(
    `Profile Center needs Node.js ${REQUIRED_MAJOR} or later; this is ${process.version} (${process.execPath}).\n` +
      "`npm start` runs the Node.js 24 that `npm install` puts into node_modules; elsewhere install Node.js 24 LTS.",
  );
  process.exit(1);
}
