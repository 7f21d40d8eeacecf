#!/bin/sh
# Generates the differential corpus into $1 with the openssl CLI: certificates (*.pem, *.der,
# chains), keys (listed in keys.txt with how to load them) and PKCS#12 bundles (p12.txt).
set -eu
out=$1
rm -rf "$out"; mkdir -p "$out"; cd "$out"
o() { openssl "$@" 2>/dev/null; }

# --- certificates -----------------------------------------------------------------------------
cat > ext.cnf <<'CNF'
[plain]
basicConstraints = CA:FALSE
[ca]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always, issuer
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment, nonRepudiation
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:www.example.com, DNS:*.example.org, email:admin@example.com, IP:192.0.2.7, IP:2001:db8::1, IP:::ffff:10.0.0.1, URI:https://example.com/x
authorityInfoAccess = OCSP;URI:http://ocsp.example.com, caIssuers;URI:http://ca.example.com/ca.crt
crlDistributionPoints = URI:http://crl.example.com/a.crl
certificatePolicies = 2.5.29.32.0, 1.2.3.4.5
[misc]
nsComment = "A Netscape comment"
nsCertType = server, client, email
1.2.3.4.99 = ASN1:UTF8String:custom value
1.2.3.4.100 = critical, DER:01:02:03
subjectAltName = otherName:1.2.3.4;UTF8:other, dirName:dir_sect, RID:1.2.3.4, DNS:only.example
[dir_sect]
CN = Directory Name
[idn]
subjectAltName = DNS:xn--bcher-kva.example, IP:0.0.0.0, IP:::
[bc]
basicConstraints = CA:TRUE
CNF

n=0
selfsigned() { # name keyfile subj ext [extra...]
    name=$1 key=$2 subj=$3 ext=$4; shift 4
    o req -new -x509 -key "$key" -subj "$subj" -days 3650 -extensions "$ext" -config ext.cnf -utf8 "$@" -out "$name.pem"
    o x509 -in "$name.pem" -outform DER -out "$name.der"
}
touch empty.cnf

# Keys for certificates.
for b in 1024 2048 3072 4096; do o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$b -out crsa$b.key; done
for c in P-256 P-384 P-521; do o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$c -out cec$c.key; done
o genpkey -algorithm ED25519 -out ced25519.key
o genpkey -algorithm ED448 -out ced448.key
o genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param
o genpkey -paramfile dsa.param -out cdsa.key

for b in 1024 2048 3072 4096; do selfsigned rsa$b crsa$b.key "/CN=RSA $b/O=Example/C=DE" leaf; done
for c in P-256 P-384 P-521; do selfsigned ec$c cec$c.key "/CN=EC $c/O=Example" leaf; done
selfsigned ed25519 ced25519.key "/CN=Ed25519" plain
selfsigned ed448 ced448.key "/CN=Ed448" plain
selfsigned dsa cdsa.key "/CN=DSA 2048" plain
selfsigned utf8 crsa2048.key "/CN=Grüße aus Köln ✓/O=Ünïcödé GmbH/L=Zürich/ST=Bayern/C=DE/OU=Eins/OU=Zwei/OU=Drei" plain
selfsigned multivalued crsa2048.key "/CN=Multi+serialNumber=42+UID=user/O=Org/dnQualifier=q1/emailAddress=e@example.com/title=Boss/1.2.3.4.5=oid-attr" plain -multivalue-rdn
selfsigned misc crsa2048.key "/CN=Misc" misc
selfsigned idn crsa2048.key "/CN=xn--bcher-kva.example" idn
selfsigned noname crsa2048.key "/" plain
selfsigned ocnly crsa2048.key "/OU=Only OU" plain
selfsigned oonly crsa2048.key "/O=Only O/OU=Second" plain
for s in 0 1 127 128 255 256 0x7fffffffffffffff 0x8000000000000000 0x0102030405060708090a0b0c0d0e0f1011121314 0x7f0102030405060708090a0b0c0d0e0f10111213; do
    selfsigned serial-$s crsa2048.key "/CN=Serial $s" plain -set_serial $s
done
for v in 1; do
    o req -new -key crsa2048.key -subj "/CN=Version 1" -out v1.csr
    o x509 -req -in v1.csr -signkey crsa2048.key -days 30 -out v1.pem
    o x509 -in v1.pem -outform DER -out v1.der
done

# A CA, an intermediate and leaves with chosen dates (openssl ca for start and end dates).
mkdir -p ca/new; : > ca/index.txt; echo 1000 > ca/serial
cat > ca.cnf <<'CNF'
[ca]
default_ca = this
[this]
dir = ca
database = ca/index.txt
new_certs_dir = ca/new
serial = ca/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[any]
commonName = supplied
organizationName = optional
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:leaf.example, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer:always
CNF
o req -new -x509 -key crsa2048.key -subj "/CN=Diff Root CA/O=Example" -days 7300 -extensions ca -config ext.cnf -out root.pem
o x509 -in root.pem -outform DER -out root.der
signed() { # name subj ext start end [signer signerkey]
    o req -new -key cecP-256.key -subj "$2" -out "$1.csr"
    o ca -batch -config ca.cnf -cert "${6:-root.pem}" -keyfile "${7:-crsa2048.key}" -extensions "$3" -startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.pem"
    o x509 -in "$1.pem" -outform DER -out "$1.der"
}
signed inter "/CN=Diff Intermediate/O=Example" v3_ca 20200101000000Z 20400101000000Z
signed leaf "/CN=leaf.example" v3_leaf 20200101000000Z 20391231235959Z inter.pem cecP-256.key
signed expired "/CN=expired.example" v3_leaf 20000101000000Z 20010101000000Z
signed notyet "/CN=notyet.example" v3_leaf 20400101000000Z 20500101000000Z
signed generalized "/CN=generalized.example" v3_leaf 19490101000000Z 20991231235959Z
signed utctime "/CN=utctime.example" v3_leaf 700101000000Z 491231235959Z
cat leaf.pem inter.pem root.pem > chain.pem
cat leaf.der inter.der root.der > chain.der
cat leaf.der inter.der > chain2.der
printf 'garbage\n' | cat - leaf.pem > leading-garbage.pem
sed 's/$/\r/' chain.pem > crlf.pem
sed 's/-----BEGIN CERTIFICATE-----/-----BEGIN CERTIFICATE----- /' leaf.pem > trailing-space.pem
head -c 300 leaf.pem > truncated.pem
head -c 200 leaf.der > truncated.der
sed '3s/A/!/; 4s/[a-z]/#/' leaf.pem > garbled.pem
: > empty.pem
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' > bogus.pem
awk 'NR==1{print; next} /END/{print; next} {printf "%s", $0} END{}' leaf.pem > oneline.pem
printf -- '-----BEGIN CERTIFICATE-----' > markers-only.pem
head -c 1000000 /dev/zero | tr '\0' 'A' > huge.pem

# --- keys --------------------------------------------------------------------------------------
# keys.txt: file algorithm(rsa|dsa|ec|dh) format(pem|der) type(private|public) passphrase('-' none)
: > keys.txt
k() { echo "$*" >> keys.txt; }
o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
o genpkey -paramfile dsa.param -out dsa.key
o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec.key
o genpkey -algorithm DH -pkeyopt group:ffdhe2048 -out dh.key
o genpkey -algorithm ED25519 -out ed.key
for a in rsa dsa ec; do
    trad=$a; [ $a = ec ] && trad=ec
    o pkey -in $a.key -traditional -out $a-trad.pem;                 k $a-trad.pem $a pem private -
    o pkey -in $a.key -out $a-pkcs8.pem;                              k $a-pkcs8.pem $a pem private -
    o pkey -in $a.key -outform DER -traditional -out $a-trad.der;     k $a-trad.der $a der private -
    o pkey -in $a.key -outform DER -out $a-pkcs8.der;                 k $a-pkcs8.der $a der private -
    o pkey -in $a.key -pubout -out $a-pub.pem;                        k $a-pub.pem $a pem public -
    o pkey -in $a.key -pubout -outform DER -out $a-pub.der;           k $a-pub.der $a der public -
    for c in des des3 aes128 aes256; do
        o $trad -in $a.key -$c -passout pass:secret -out $a-trad-$c.pem && k $a-trad-$c.pem $a pem private secret
    done
    k $a-trad-aes256.pem $a pem private wrong
    k $a-trad-aes256.pem $a pem private -
    for c in des-ede3-cbc aes-128-cbc aes-256-cbc; do
        o pkcs8 -topk8 -in $a.key -v2 $c -passout pass:secret -out $a-p8-$c.pem;  k $a-p8-$c.pem $a pem private secret
        o pkcs8 -topk8 -in $a.key -v2 $c -passout pass:secret -outform DER -out $a-p8-$c.der;  k $a-p8-$c.der $a der private secret
    done
    o pkcs8 -topk8 -in $a.key -v1 PBE-SHA1-RC2-64 -passout pass:secret -out $a-p8-rc2.pem && k $a-p8-rc2.pem $a pem private secret
    o pkcs8 -topk8 -in $a.key -v1 PBE-SHA1-3DES -passout pass:secret -out $a-p8-pbe3des.pem && k $a-p8-pbe3des.pem $a pem private secret
    k $a-p8-aes-256-cbc.der $a der private wrong
    k $a-trad.pem $a pem public -
    k $a-pub.pem $a pem private -
done
k rsa-trad.pem ec pem private -
k ec-trad.pem rsa pem private -
o pkey -in dh.key -out dh.pem;                            k dh.pem dh pem private -
o pkey -in dh.key -outform DER -out dh.der;               k dh.der dh der private -
o pkey -in dh.key -pubout -out dh-pub.pem;                k dh-pub.pem dh pem public -
o pkey -in ed.key -out ed.pem;                            k ed.pem ec pem private -
k empty.pem rsa pem private -
k truncated.pem rsa pem private -
head -c 120 rsa-trad.der > rsa-truncated.der;             k rsa-truncated.der rsa der private -
sed '3s/[A-Za-z]/!/g' rsa-trad.pem > rsa-garbled.pem;     k rsa-garbled.pem rsa pem private -
k huge.pem rsa pem private -
k leaf.pem ec pem public -

# --- PKCS#12 -----------------------------------------------------------------------------------
# p12.txt: file passphrase('-' none)
: > p12.txt
o pkcs12 -export -inkey crsa2048.key -in rsa2048.pem -passout pass:secret -out modern.p12;                  echo "modern.p12 secret" >> p12.txt
echo "modern.p12 wrong" >> p12.txt
echo "modern.p12 -" >> p12.txt
o pkcs12 -export -inkey cecP-256.key -in leaf.pem -certfile inter.pem -passout pass:secret -out withca.p12;  echo "withca.p12 secret" >> p12.txt
o pkcs12 -export -inkey crsa2048.key -in rsa2048.pem -passout pass: -out nopass.p12;                        echo "nopass.p12 -" >> p12.txt
o pkcs12 -export -legacy -inkey crsa2048.key -in rsa2048.pem -passout pass:secret -out legacy.p12;          echo "legacy.p12 secret" >> p12.txt
o pkcs12 -export -inkey ced25519.key -in ed25519.pem -passout pass:secret -out ed25519.p12;            echo "ed25519.p12 secret" >> p12.txt
head -c 500 modern.p12 > truncated.p12;                                                                 echo "truncated.p12 secret" >> p12.txt
echo "empty.pem -" >> p12.txt
rm -f ./*.csr
