// placeholder so the module builds before its first source lands
