# A module the page's [files] lists: written to the interpreter's file system by either loader.
def greet():
    return "hello"
