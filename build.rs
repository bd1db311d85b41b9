//! The default theme and the starter site of `shiji new` are built into the binary
//! (include_dir); rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/new_site");
}
