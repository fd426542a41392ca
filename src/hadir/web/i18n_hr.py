"""Catalogue strings of the regency HR pages (issue 15: unit tree, corrections, leave),
merged into ``hadir.web.i18n``'s catalogue (kept apart so that file stays readable)."""

from __future__ import annotations

ID: dict[str, str] = {
    "nav.units": "Unit kerja",
    "unit.title": "Unit kerja",
    "unit.help": (
        "Susunan unit: instansi → bidang → seksi. Nama unit unik; pegawai memilih unitnya "
        "dari daftar ini. Unit hanya dapat dihapus bila tidak punya sub-unit dan pegawai."
    ),
    "unit.tree": "Susunan unit",
    "unit.name": "Nama unit",
    "unit.level": "Tingkat",
    "unit.level.instansi": "Instansi",
    "unit.level.bidang": "Bidang",
    "unit.level.seksi": "Seksi",
    "unit.level.subunit": "Sub-unit",
    "unit.head": "Kepala",
    "unit.head_nip": "NIP kepala",
    "unit.staff": "Pegawai",
    "unit.actions": "Ubah",
    "unit.change": "Ubah unit",
    "unit.rename": "Nama baru",
    "unit.move": "Pindah ke bawah",
    "unit.move_submit": "Pindahkan",
    "unit.top": "(puncak susunan)",
    "unit.delete": "Hapus unit",
    "unit.empty": "Belum ada unit.",
    "unit.new": "Tambah unit",
    "unit.parent": "Unit induk",
    "unit.import": "Impor unit dari CSV",
    "unit.import_help": (
        "Kolom: unit (nama), induk (nama unit induk, kosong = puncak), kepala (NIP). "
        "Unit induk ditulis lebih dulu atau sudah ada."
    ),
    "unit.choose": "Pilih unit",
    "audit.act.unit.create": "{actor} menambahkan unit {target} pada {at}.",
    "audit.act.unit.rename": "{actor} mengganti nama unit menjadi {target} pada {at}.",
    "audit.act.unit.move": "{actor} memindahkan unit {target} pada {at}.",
    "audit.act.unit.head": "{actor} menetapkan kepala unit {target} pada {at}.",
    "audit.act.unit.update": "{actor} mengubah unit {target} lewat impor pada {at}.",
    "audit.act.unit.delete": "{actor} menghapus unit {target} pada {at}.",
}

EN: dict[str, str] = {
    "nav.units": "Units",
    "unit.title": "Units",
    "unit.help": (
        "The unit tree: agency → division (bidang) → section (seksi). Unit names are "
        "unique; employees choose their unit from this list. A unit can only be deleted "
        "when it has no sub-units and no staff."
    ),
    "unit.tree": "Unit tree",
    "unit.name": "Unit name",
    "unit.level": "Level",
    "unit.level.instansi": "Agency",
    "unit.level.bidang": "Division",
    "unit.level.seksi": "Section",
    "unit.level.subunit": "Sub-unit",
    "unit.head": "Head",
    "unit.head_nip": "Head's NIP",
    "unit.staff": "Staff",
    "unit.actions": "Change",
    "unit.change": "Change unit",
    "unit.rename": "New name",
    "unit.move": "Move under",
    "unit.move_submit": "Move",
    "unit.top": "(top of the tree)",
    "unit.delete": "Delete unit",
    "unit.empty": "No units yet.",
    "unit.new": "Add a unit",
    "unit.parent": "Parent unit",
    "unit.import": "Import units from CSV",
    "unit.import_help": (
        "Columns: unit (name), parent (the parent unit's name, blank = top), head (NIP). "
        "Parents come first in the file or exist already."
    ),
    "unit.choose": "Choose a unit",
    "audit.act.unit.create": "{actor} added the unit {target} at {at}.",
    "audit.act.unit.rename": "{actor} renamed a unit to {target} at {at}.",
    "audit.act.unit.move": "{actor} moved the unit {target} at {at}.",
    "audit.act.unit.head": "{actor} set the head of the unit {target} at {at}.",
    "audit.act.unit.update": "{actor} changed the unit {target} by import at {at}.",
    "audit.act.unit.delete": "{actor} deleted the unit {target} at {at}.",
}
