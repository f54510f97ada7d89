# Added on demand (as the app's API console adds its Pyodide runner): runs on Pyodide, through PyScript.
import js

js.document.getElementById("py-out").textContent = "Pyodide ran"
