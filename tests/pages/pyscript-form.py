# The entry of pyscript-form-*.html: counts its own runs, where the page shows them.
import js
from pyscript_form_helper import greet

js.window.entryRuns = js.window.entryRuns + 1
js.document.getElementById("out").textContent = "ran " + str(js.window.entryRuns) + " time(s); helper says " + greet()
