#!/usr/bin/env bash
# Set up the laptop (or small server) that holds the roster when several desks share one
# event: installs PostgreSQL from the distribution's packages, creates a role with a random
# password and a database for the event, lets the local network reach it (scram-sha-256 over
# TLS), and prints the --db address to give the other desks.
#
#   sudo ./scripts/pg-server.sh [--db NAME] [--role NAME] [--subnet CIDR] [--no-tls]
#
# --db      the event's database (default: delegate_desk)
# --role    the role the desks log in as (default: desk)
# --subnet  who may connect (default: the network of this machine's first address, e.g.
#           192.168.1.0/24)
# --no-tls  also accept unencrypted connections (by default only TLS ones, "hostssl")
#
# Run it again to set a new password (the old one stops working) or to add a subnet.
source "$(dirname "$0")/common.sh"

db=delegate_desk
role=desk
subnet=
tls=1
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --role) role=$2; shift 2 ;;
    --subnet) subnet=$2; shift 2 ;;
    --no-tls) tls=0; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for name in "$db" "$role"; do
  if ! [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "error: \"$name\" is not a plain database or role name (lower-case letters, digits, _)" >&2
    exit 2
  fi
done

need_packages postgresql postgresql-common ssl-cert

# The newest cluster, created and started if there is none.
read -r version cluster port status < <(pg_lsclusters -h | sort -k1,1nr | awk '{print $1, $2, $3, $4}' | head -1) || true
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -nr | head -1)
  cluster=main
  say "Creating the PostgreSQL $version cluster \"$cluster\""
  as_root pg_createcluster "$version" "$cluster"
fi
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $3}')
conf=/etc/postgresql/$version/$cluster

if [ -z "$subnet" ]; then
  address=$(ip -o -4 addr show scope global | awk '{print $4}' | head -1)
  if [ -z "$address" ]; then
    echo "error: this machine has no network address; pass --subnet CIDR" >&2
    exit 2
  fi
  subnet=$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$address")
fi
host_ip=$(ip -o -4 addr show scope global | awk '{print $4}' | head -1 | cut -d/ -f1)

say "Listening on the network, passwords as scram-sha-256, TLS on"
as_root sed -i "s/^#\?listen_addresses *=.*/listen_addresses = '*'/" "$conf/postgresql.conf"
as_root sed -i "s/^#\?password_encryption *=.*/password_encryption = scram-sha-256/" "$conf/postgresql.conf"
as_root sed -i "s/^#\?ssl *=.*/ssl = on/" "$conf/postgresql.conf"
kind=hostssl
[ "$tls" = 1 ] || kind=host
line="$kind    $db    $role    $subnet    scram-sha-256"
if ! as_root grep -qxF "$line" "$conf/pg_hba.conf"; then
  echo "$line" | as_root tee -a "$conf/pg_hba.conf" >/dev/null
fi

say "Starting PostgreSQL $version/$cluster"
as_root pg_ctlcluster "$version" "$cluster" restart 2>/dev/null || as_root pg_ctlcluster "$version" "$cluster" start

password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)
sql() { as_root runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = 1 ]; then
  sql -c "ALTER ROLE $role LOGIN PASSWORD '$password'"
else
  sql -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
fi
if [ "$(sql -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  sql -c "CREATE DATABASE $db OWNER $role"
fi

mode=require
[ "$tls" = 1 ] || mode=prefer
cat <<INFO

The roster's database is ready. On every desk, open the window or the CLI with:

  --db 'postgres://$role@$host_ip:$port/$db?sslmode=$mode'

and keep the password out of the address: put this line in ~/.pgpass on each desk
(chmod 600 ~/.pgpass):

  $host_ip:$port:$db:$role:$password

The first desk to connect creates the event (the demo event, to edit in Event settings), or
copy an existing one in:  delegate-desk-cli copy --from event.sqlite3 --to 'postgres://$role@$host_ip:$port/$db?sslmode=$mode'
Allowed: $subnet. The server's certificate is Debian's self-signed one: sslmode=require
encrypts; to authenticate the server too, install a certificate signed by your own authority
and use sslmode=verify-full&sslrootcert=/path/to/ca.crt.
INFO
