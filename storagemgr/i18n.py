"""Translation hooks (oslo.i18n), so messages can be localised later."""

import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain='storagemgr')

# The primary translation function using the well-known name "_"
_ = _translators.primary
