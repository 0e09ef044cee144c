// Evaluates one CEL expression against objects, for tests/deploy/test_deploy.py,
// with @marcbachmann/cel-js (an independent CEL implementation; the API
// server uses cel-go).  The package directory is argv[2].
// stdin: {"expression": "...", "objects": [obj, ...]}
// stdout: [{"value": V} | {"error": "message"}, ...]; a parse error of the
// expression itself: {"parse_error": "message"} and exit 1.
import {readFileSync} from 'node:fs'
import {pathToFileURL} from 'node:url'

const cel = await import(pathToFileURL(process.argv[2] + '/lib/index.js').href)
const input = JSON.parse(readFileSync(0, 'utf8'))
let program
try {
  program = cel.parse(input.expression)
} catch (e) {
  process.stdout.write(JSON.stringify({parse_error: String(e.message || e)}) + '\n')
  process.exit(1)
}
const out = input.objects.map((object) => {
  try {
    return {value: program({object})}
  } catch (e) {
    return {error: String(e.message || e)}
  }
})
process.stdout.write(JSON.stringify(out) + '\n')
