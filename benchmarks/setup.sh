#!/usr/bin/env bash
# Installs the Python reference systems for `npm run bench` (Debian's packages, under /usr/bin/python3).
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  python3-numpy python3-pandas python3-dask python3-distributed python3-sklearn
/usr/bin/python3 -c "import dask, numpy, pandas, sklearn; print('dask', dask.__version__, 'numpy', numpy.__version__, 'pandas', pandas.__version__, 'scikit-learn', sklearn.__version__)"
