import warnings

# eventlet, installed with os-brick (through oslo.privsep), announces its
# own deprecation when futurist (taskflow's executor library) imports it.
# storagemgr never runs under eventlet, and the notice would garble the
# one-line output and errors of every command.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
