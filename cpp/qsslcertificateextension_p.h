// qssl-rs: QSslCertificateExtension's private data (kept with the certificate's). Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLCERTIFICATEEXTENSION_P_H
#define QSSLRS_QSSLCERTIFICATEEXTENSION_P_H

#include "qsslcertificate_p.h"

#endif
