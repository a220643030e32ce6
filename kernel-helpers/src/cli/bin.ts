#!/usr/bin/env node
import { addCommand, main } from './main';
import { exportCommand } from './export-command';

addCommand('export', exportCommand);

main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
}).then(code => {
  process.exitCode = code;
});
