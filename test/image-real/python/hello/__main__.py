import os, sys
print(f"hello from python {sys.version.split()[0]} as uid {os.getuid()} in {sys.prefix}")
