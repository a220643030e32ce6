#!/usr/bin/env node
import { main } from './main';
import '../index';

main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
}).then(code => {
  process.exitCode = code;
});
