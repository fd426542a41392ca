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
    "leave.balance": (
        "Sisa cuti tahunan {year}: {remaining} hari kerja (hak {entitlement}, sisa tahun "
        "lalu {carried}, terpakai {used}, menunggu keputusan {pending})."
    ),
    "leave.place": "Tempat (wajib untuk dinas luar)",
    "leave_status.endorsed": "Disetujui atasan, menunggu SDM",
    "leave.queue": "Izin staf menunggu keputusan Anda",
    "field.place": "Tempat",
    "field.attachment": "Surat dokter",
    "leave.attachment": "Surat dokter (untuk izin sakit: PDF, JPEG atau PNG, maks. 2 MB)",
    "leave.document": "Dokumen",
    "leave.open_document": "Lihat surat dokter",
    "nav.corrections": "Koreksi kehadiran",
    "corr.tab": "Koreksi",
    "corr.title": "Koreksi kehadiran",
    "corr.new": "Ajukan koreksi",
    "corr.help": (
        "Lupa absen, mesin gagal, atau bertugas di tempat lain? Ajukan koreksi hari itu "
        "dengan jam dan alasannya; atasan langsung (atau SDM bila tidak ada) memutuskan."
    ),
    "corr.day": "Tanggal",
    "corr.reason_kind": "Jenis",
    "corr.kind.forgot_check_out": "Lupa absen pulang",
    "corr.kind.forgot_check_in": "Lupa absen masuk",
    "corr.kind.device_failed": "Perangkat gagal",
    "corr.kind.duty_elsewhere": "Bertugas di tempat lain",
    "corr.check_in": "Jam masuk",
    "corr.check_out": "Jam pulang",
    "corr.times": "Jam",
    "corr.reason": "Alasan",
    "corr.status": "Status",
    "corr.state.requested": "Menunggu",
    "corr.state.approved": "Disetujui",
    "corr.state.refused": "Ditolak",
    "corr.decided_by": "Diputuskan oleh / menunggu",
    "corr.hr": "SDM",
    "corr.decide": "Keputusan",
    "corr.note": "Catatan",
    "corr.approve": "Setujui",
    "corr.refuse": "Tolak",
    "corr.submit": "Ajukan",
    "corr.mine": "Koreksi saya",
    "corr.queue": "Menunggu keputusan Anda",
    "corr.queue_help": (
        "Koreksi pegawai yang atasan langsungnya Anda, dan (SDM) pegawai tanpa atasan."
    ),
    "corr.direct": "Koreksi langsung oleh SDM",
    "corr.direct_submit": "Simpan koreksi",
    "corr.all": "Semua koreksi",
    "corr.ok_asked": "Koreksi diajukan.",
    "corr.ok_decided": "Keputusan disimpan.",
    "corr.ok_direct": "Koreksi disimpan.",
    "audit.act.correction.request": "{actor} mengajukan koreksi kehadiran {target} pada {at}.",
    "audit.act.correction.approved": "{actor} menyetujui koreksi kehadiran {target} pada {at}.",
    "audit.act.correction.refused": "{actor} menolak koreksi kehadiran {target} pada {at}.",
    "audit.act.correction.direct": "{actor} mengoreksi kehadiran {target} pada {at}.",
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
    "leave.balance": (
        "Annual leave left in {year}: {remaining} working days (entitlement {entitlement}, "
        "carried over {carried}, used {used}, awaiting a decision {pending})."
    ),
    "leave.place": "Place (required for official duty)",
    "leave_status.endorsed": "Approved by the superior, waiting for HR",
    "leave.queue": "Your staff's leave waiting for your decision",
    "field.place": "Place",
    "field.attachment": "Doctor's note",
    "leave.attachment": "Doctor's note (for sick leave: PDF, JPEG or PNG, at most 2 MB)",
    "leave.document": "Document",
    "leave.open_document": "Open the doctor's note",
    "nav.corrections": "Attendance corrections",
    "corr.tab": "Corrections",
    "corr.title": "Attendance corrections",
    "corr.new": "Ask for a correction",
    "corr.help": (
        "Forgot to check in or out, the device failed, or on duty elsewhere? Ask for a "
        "correction of that day with the times and a reason; your direct superior (or HR "
        "when there is none) decides."
    ),
    "corr.day": "Date",
    "corr.reason_kind": "Kind",
    "corr.kind.forgot_check_out": "Forgot to check out",
    "corr.kind.forgot_check_in": "Forgot to check in",
    "corr.kind.device_failed": "Device failed",
    "corr.kind.duty_elsewhere": "On duty elsewhere",
    "corr.check_in": "Check-in time",
    "corr.check_out": "Check-out time",
    "corr.times": "Times",
    "corr.reason": "Reason",
    "corr.status": "Status",
    "corr.state.requested": "Waiting",
    "corr.state.approved": "Approved",
    "corr.state.refused": "Refused",
    "corr.decided_by": "Decided by / waiting for",
    "corr.hr": "HR",
    "corr.decide": "Decision",
    "corr.note": "Note",
    "corr.approve": "Approve",
    "corr.refuse": "Refuse",
    "corr.submit": "Ask",
    "corr.mine": "My corrections",
    "corr.queue": "Waiting for your decision",
    "corr.queue_help": (
        "Corrections of the employees you are the direct superior of, and (HR) of those "
        "without one."
    ),
    "corr.direct": "Direct correction by HR",
    "corr.direct_submit": "Save the correction",
    "corr.all": "All corrections",
    "corr.ok_asked": "Correction requested.",
    "corr.ok_decided": "Decision saved.",
    "corr.ok_direct": "Correction saved.",
    "audit.act.correction.request": "{actor} asked to correct the attendance of {target} at {at}.",
    "audit.act.correction.approved": "{actor} approved a correction for {target} at {at}.",
    "audit.act.correction.refused": "{actor} refused a correction for {target} at {at}.",
    "audit.act.correction.direct": "{actor} corrected the attendance of {target} at {at}.",
    "audit.act.unit.create": "{actor} added the unit {target} at {at}.",
    "audit.act.unit.rename": "{actor} renamed a unit to {target} at {at}.",
    "audit.act.unit.move": "{actor} moved the unit {target} at {at}.",
    "audit.act.unit.head": "{actor} set the head of the unit {target} at {at}.",
    "audit.act.unit.update": "{actor} changed the unit {target} by import at {at}.",
    "audit.act.unit.delete": "{actor} deleted the unit {target} at {at}.",
}
